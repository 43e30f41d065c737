// Writes one heap snapshot of a process holding N users in a module-level Map cache, the shape
// peer-measurements.md uses (s50 = 53,000 users ≈ 50 MB, s200 = 222,000, s600 = 660,000):
//   node --max-old-space-size=16000 bench/generate.mjs USERS OUT.heapsnapshot [bioLength=0]
// Each User has unique name, email and display-name strings, a heap-number score, a boolean and an Array of
// three small {kind, at} objects; with bioLength > 0 also a unique string of that many
// characters (600,000 users with 1,000-character bios give a strings section over 512 MB).
import v8 from 'node:v8';

const [usersArg, out, bioArg = '0'] = process.argv.slice(2);
const users = Number(usersArg);
const bioLength = Number(bioArg);
if (!out || !Number.isInteger(users) || users < 0 || !Number.isInteger(bioLength)) {
  console.error('usage: node --max-old-space-size=16000 bench/generate.mjs USERS OUT.heapsnapshot [bioLength]');
  process.exit(2);
}

class User {
  constructor(index) {
    this.name = `user-${index}`;
    this.email = `${this.name}@example.com`;
    this.displayName = `${this.name} <${this.email}>`;
    this.score = index + 0.5;
    this.active = index % 2 === 0;
    this.events = [
      { kind: 'login', at: index },
      { kind: 'view', at: index + 1 },
      { kind: 'logout', at: index + 2 },
    ];
    if (bioLength > 0) this.bio = uniqueText(index, bioLength);
  }
}

// A flat (sequential) string of exactly `length` characters, unique per index: a copy through a
// Buffer, so the heap holds no sliced or concatenated parts that would double the strings.
const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(bioLength / 27) + 1);
function uniqueText(index, length) {
  const text = `bio of user ${index}: ${filler}`.slice(0, length);
  return Buffer.from(text, 'latin1').toString('latin1');
}

export const cache = new Map();
globalThis.__benchCache = cache;
for (let index = 0; index < users; index++) {
  const user = new User(index);
  user.lastSeen = index * 2; // added after construction: an out-of-object property store
  cache.set(index, user);
}
v8.writeHeapSnapshot(out);
