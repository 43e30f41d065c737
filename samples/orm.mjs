// orm: an ORM-style object model reloaded again and again.
//
// A fake "database" holds plain rows for departments, courses and lessons.
// Each round loads every department into model objects (Department has
// courses, Course has lessons) and pushes the result onto the module-level
// list `loaded`, which is never cleared. Every round therefore adds a whole
// new copy of the object graph that stays reachable from `loaded`.
//
// Usage: node --expose-gc samples/orm.mjs <output-prefix>
// Writes <output-prefix>-1.heapsnapshot, -2 and -3.

import v8 from 'node:v8';

const prefix = process.argv[2] ?? 'orm';

// ---- The fake database: plain arrays of rows. ----
const db = { departments: [], courses: [], lessons: [] };
for (let d = 1; d <= 3; d++) {
  db.departments.push({ id: d, name: `Department ${d}` });
  for (let c = 1; c <= 4; c++) {
    const courseId = d * 100 + c;
    db.courses.push({ id: courseId, departmentId: d, title: `Course ${courseId}` });
    for (let l = 1; l <= 5; l++) {
      const lessonId = courseId * 100 + l;
      db.lessons.push({ id: lessonId, courseId, title: `Lesson ${lessonId}`, minutes: 30 + l * 5 });
    }
  }
}

// ---- The model. ----
class Lesson {
  constructor(row, course) {
    this.id = row.id;
    this.title = row.title;
    this.minutes = row.minutes;
    this.course = course; // back-reference, as ORMs usually keep
  }
}

class Course {
  constructor(row, department) {
    this.id = row.id;
    this.title = row.title;
    this.department = department;
    this.lessons = [];
  }
}

class Department {
  constructor(row) {
    this.id = row.id;
    this.name = row.name;
    this.courses = [];
    this.loadedAt = new Date();
  }
}

function loadDepartment(id) {
  const department = new Department(db.departments.find((row) => row.id === id));
  for (const courseRow of db.courses.filter((row) => row.departmentId === id)) {
    const course = new Course(courseRow, department);
    for (const lessonRow of db.lessons.filter((row) => row.courseId === course.id)) {
      course.lessons.push(new Lesson(lessonRow, course));
    }
    department.courses.push(course);
  }
  return department;
}

// The leak: every load is appended here and nothing ever removes it.
const loaded = [];

function loadRounds(count) {
  for (let round = 0; round < count; round++) {
    for (const row of db.departments) {
      loaded.push(loadDepartment(row.id));
    }
  }
}

function snapshot(n) {
  global.gc();
  const file = v8.writeHeapSnapshot(`${prefix}-${n}.heapsnapshot`);
  console.log(`orm: wrote ${file} (${loaded.length} departments loaded)`);
}

loadRounds(10);
snapshot(1);
loadRounds(40);
snapshot(2);
loadRounds(40);
snapshot(3);
