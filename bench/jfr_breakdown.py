#!/usr/bin/env python3
"""Shares of a JFR recording's CPU samples by what a streamed turn does (bench/profile.sh prints it).

Each execution sample is given to the first category, walking from the sampled frame towards the thread's
start, whose pattern matches a frame; so a JSON write inside an SSE emit counts as JSON, the socket write under
it as the socket. Usage: jfr_breakdown.py recording.jfr (needs $JAVA_HOME/bin/jfr).
"""
import collections, json, os, subprocess, sys

# (category, substrings of "package/Class.method"), most specific first.
CATEGORIES = [
    ("logging", ["java/util/logging", "System$Logger", "jdk/internal/logger"]),
    ("CEL evaluation", ["dev/cel/", "workflow/expr/"]),
    ("JSON: event to the wire", ["ChatKitJson.writeEvent", "ChatKitJson.writeDelta"]),
    ("JSON: storage rows (items, thread)", ["ChatKitJson.writeStorage", "ChatKitJson.write"]),
    ("JSON: run state and trace", ["engine/RunState", "engine/Trace", "JdbcWorkflowStore.saveRun"]),
    ("JSON: request parsing", ["ChatKitJson.readRequest", "ChatKitJson.read"]),
    ("SQLite writer thread (binding, inserts, commit)", ["store/sqlite/GroupCommitWriter", "store/sqlite/Checkpointer"]),
    ("SQLite reads (run state, thread, version)", ["store/sqlite/ReadPool", "JdbcWorkflowStore.load", "JdbcStore.load"]),
    ("store calls on the turn's thread (queueing, waiting)", ["dev/parley/store/"]),
    ("socket write + flush", ["SocketWriter", "NioSocket.write", "SocketChannelImpl", "Http1ServerResponse$BlockingOutputStream.flush"]),
    ("HTTP response framing (chunks, headers)", ["Http1ServerResponse"]),
    ("request body, auth, secrets", ["web/http/Requests", "web/auth/", "RateLimiter"]),
    ("echo provider (regex split)", ["model/echo/"]),
    ("workflow engine (walk, nodes, templates)", ["dev/parley/workflow/"]),
    ("respond pipeline and dispatcher", ["dev/parley/server/"]),
    ("SSE sink", ["dev/parley/web/http/SseEventSink"]),
    ("Helidon HTTP/1 (parsing, routing, filters)", ["io/helidon/", "dev/parley/web/"]),
    ("virtual-thread scheduling", ["jdk/internal/vm/Continuation", "java/util/concurrent/ForkJoin", "java/lang/VirtualThread"]),
]


def frames(event):
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in event["values"]["stackTrace"]["frames"]]


def category(stack):
    for frame in stack:
        for name, patterns in CATEGORIES:
            if any(p in frame for p in patterns):
                return name
    return "other (GC, JIT, JDK)"


def main(path):
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    counts = collections.Counter(category(frames(e)) for e in events if e["values"].get("stackTrace"))
    total = sum(counts.values())
    print(f"{total} CPU samples in Java code")
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
