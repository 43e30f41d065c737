/**
 * leakgraph — find memory leaks in JavaScript programs from V8 heap snapshots.
 *
 * The library's exports: one function per command (`summary`, `leaks`, `paths`…, each
 * returning what the command's `--json` prints), and the layers below them for finer work:
 * `loadSnapshot` reads a .heapsnapshot (plain or gzipped) and computes everything DevTools
 * computes on load, with the same numbers.
 */

// One function per command, each returning what the command's --json prints.
export { summary, summaryReport, type SummaryOptions } from './commands/summary.js';
export { inspect, inspectReport, type InspectOptions } from './commands/inspect.js';
export { growth, growthReport, type GrowthOptions, type GrowthCommandReport } from './commands/growth.js';
export { leaks, leaksReport, foundLeaks, type LeaksOptions } from './commands/leaks.js';
export { paths, pathsReport, type PathsOptions, type PathsReport } from './commands/paths.js';
export { why, whyReport, type WhyOptions, type WhyReport } from './commands/why.js';
export { backrefs, refs, backrefsDiagram, refsDiagram, chainsDiagram, type Diagram, type DiagramCommandOptions } from './commands/diagrams.js';
export { report, reportData, type ReportOptions } from './commands/report.js';
export { loadGraph, type SnapshotSource, type LoadOptions, type LoadedGraph } from './commands/load.js';
export { allocs, allocsReport, type AllocsOptions, type AllocsRunOptions, type AllocsReport, type AllocsJson, type ProgramToProfile, type ProgramRun } from './commands/allocs.js';
export { capture, type CaptureCommandOptions, type CaptureJson, type CapturedSnapshot } from './commands/capture.js';
export { record, recordReport, type RecordCommandOptions, type RecordReport, type RecordJson, type RecordedFiles } from './commands/record.js';
export { plot, type PlotOptions } from './commands/plot.js';
export { instances, type InstancesOptions, type InstancesJson } from './commands/instances.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/server.js';
export { loadServedHeaps } from './serve/heaps.js';
export type { Runtime, ProgramExit } from './live/run-program.js';
export type { ObjectSelection } from './commands/select.js';
export type { SummaryJson } from './render/summary.js';
export type { InspectJson } from './render/inspect.js';
export type { GrowthJson } from './render/growth.js';
export type { LeaksJson } from './render/leaks.js';
export type { PathsJson } from './render/path.js';
export type { WhyJson } from './render/why.js';
export type { DiagramJson } from './render/diagram.js';
export { renderDiagram, type DiagramFormat, type LayoutChoice } from './render/diagram.js';
export { LeakgraphError, NotFoundError, UsageError } from './errors.js';

export { loadSnapshot, loadSnapshotClasses, loadSnapshotStream, type LoadPhase, type LoadSnapshotOptions } from './graph/load.js';
export { SourceMaps, type SourceMapOptions } from './graph/source-maps.js';
export { formatLocation, type ScriptLocation, type OriginalPosition } from './graph/scripts.js';
export { compareSnapshots, type GrowthReport, type CompareSnapshotsOptions } from './analysis/compare.js';
export { SnapshotError } from './snapshot/errors.js';
export { HeapSnapshot, type SourceLocation } from './snapshot/heap-snapshot.js';
export { readSnapshotFile, readSnapshotStream } from './snapshot/loader.js';
export { buildHeapGraph, classifyHeap, type HeapGraph, type ClassifiedHeap, type GraphPhase, type GraphOptions } from './graph/heap-graph.js';
export { IdIndex } from './graph/id-index.js';
export { NO_DISTANCE, BASE_SYSTEM_DISTANCE } from './graph/distances.js';
export type { ClassTable, InterfaceDefinition } from './graph/classes.js';
export { displayName } from './graph/names.js';
export { summarizeClasses, sortClasses, type ClassSummary, type SummarySort } from './analysis/summary.js';
export {
  classInstances,
  classCounts,
  instanceCounts,
  snapshotInfo,
  diffClasses,
  computeGrowth,
  grewEveryStep,
  sortGrowth,
  selectGrowth,
  type ClassInstances,
  type ClassDiff,
  type ClassGrowth,
  type GrowthSort,
  type GrowthSelection,
  type SnapshotInfo,
} from './analysis/growth.js';
export {
  processFingerprint,
  compareFingerprints,
  checkSameProcess,
  SameProcessCheck,
  MixedSnapshotsError,
  type ProcessFingerprint,
  type SameProcessProblem,
} from './analysis/same-process.js';
export { inspectObject, nodeInfo, type InspectResult, type NodeInfo, type ReferenceInfo, type RetainerInfo } from './analysis/inspect.js';
export { findLeaks, DEFAULT_MIN_RETAINED, type LeakReport, type LeakCluster, type GrowingContainer, type LeakOptions } from './analysis/leaks.js';
export { PathFinder, objectsOfClass, type RetainingPath, type PathStep } from './analysis/retaining-path.js';
export { explainRetention, type WhyResult, type WhyHolder, type WhyCut } from './analysis/why.js';
export type { HeldBy } from './analysis/holders.js';
export { backrefGraph, refGraph, chainGraph, type RefGraph, type WalkOptions } from './analysis/diagram-graph.js';
export { TraceTree } from './snapshot/trace-tree.js';
export type { TraceFunction } from './snapshot/heap-snapshot.js';
export {
  readHeapProfile,
  parseHeapProfile,
  detectHeapFileKind,
  ProfileError,
  type HeapProfile,
  type HeapProfileNode,
  type ProfileCallFrame,
  type HeapFileKind,
} from './profile/heap-profile.js';
export { runHeapProfiled, profiledCommand, type HeapProfiledRunOptions, type HeapProfiledRunResult } from './profile/profiled-run.js';
export {
  profileFunctions,
  profileTree,
  liveAllocations,
  hasAllocationTraces,
  matchesScript,
  frameLocation,
  type AllocationFrame,
  type FrameLocation,
  type FunctionAllocation,
  type ProfileAllocations,
  type AllocationTreeNode,
  type LiveAllocations,
  type LiveAllocationFunction,
  type LiveAllocationStack,
  type LiveAllocationOptions,
  type LiveClassCount,
} from './analysis/allocs.js';
export { renderFlameSvg, type FlameGraphOptions } from './render/flame-svg.js';
export { LiveError } from './live/errors.js';
export { InspectorSession, type ConnectOptions } from './live/inspector-client.js';
export { parseHostPort, isLoopbackHost, listTargets, chooseTarget, type HostPort, type InspectorTarget } from './live/discovery.js';
export { snapshotToFile, type SnapshotToFileOptions, type SnapshotProgress, type SnapshotFileInfo } from './live/snapshot-to-file.js';
export { openTarget, captureSnapshots, type TargetAddress, type OpenTargetOptions, type OpenedTarget, type CaptureOptions } from './live/capture.js';
export { startRecording, type Recording, type RecordOptions, type RecordEvent } from './live/recorder.js';
export { readRss, readDescendantsRss } from './live/memory.js';
export { parseDuration, parseDurationList } from './live/duration.js';
export {
  fitTrend,
  fitTrends,
  parseTimeline,
  serializeTimeline,
  TIMELINE_VERSION,
  type Timeline,
  type MemorySample,
  type TimelineSnapshot,
  type SnapshotTrigger,
  type Trend,
  type TrendSeries,
  type EndReason,
} from './live/timeline.js';
export { renderTimelineSvg, type TimelineSvgOptions, type TimelineSeries } from './render/timeline-svg.js';
