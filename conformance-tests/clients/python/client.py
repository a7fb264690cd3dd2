"""The gRPC C-core peer of Sluice's conformance tests: Python's grpcio, whose xDS client is C-core's,
driven by a line protocol on stdin so the Java tests can send it traffic as they do their in-JVM
grpc-java client.

Usage: python client.py xds:///<host>, with the xDS bootstrap (JSON text) in
GRPC_XDS_BOOTSTRAP_CONFIG.

Protocol: one request line in, exactly one response line out, flushed.

    call <n> <deadlineMillis> [key=value ...]   n sequential unary RPCs to /sluice.test.Tagged/Who,
                                                each with that deadline and that request metadata;
                                                answers the n results space-separated, each the
                                                backend's reply or error:<CODE> (UNAVAILABLE, ...)
    concurrent <n> <deadlineMillis> [key=value ...]
                                                the same n RPCs all started at once (to reach
                                                limits on requests in flight); results in call order
    quit                                        exits 0

"ready" is printed once the channel exists (it connects lazily, on the first RPC). Nothing else
goes to stdout; logs go to stderr.
"""

import sys

import grpc

METHOD = "/sluice.test.Tagged/Who"


def log(message):
    print("client.py: " + message, file=sys.stderr, flush=True)


def answer(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def one(who, deadline_seconds, metadata):
    try:
        # No serializers: request and response are the raw bytes on the wire (UTF-8 text).
        reply = who(b"who", timeout=deadline_seconds, metadata=metadata)
        return reply.decode("utf-8")
    except grpc.RpcError as e:
        return "error:" + e.code().name


def result(future):
    try:
        return future.result().decode("utf-8")
    except grpc.RpcError as e:
        return "error:" + e.code().name


def calls(who, args, concurrent=False):
    if len(args) < 2:
        raise ValueError("call needs <n> <deadlineMillis>")
    n = int(args[0])
    millis = int(args[1])
    if n < 1 or millis < 1:
        raise ValueError("bad call count or deadline: " + " ".join(args[:2]))
    metadata = []
    for kv in args[2:]:
        key, sep, value = kv.partition("=")
        if not sep or not key:
            raise ValueError("bad metadata %r, want key=value" % kv)
        metadata.append((key.lower(), value))
    deadline = millis / 1000.0
    if concurrent:
        futures = [who.future(b"who", timeout=deadline, metadata=metadata or None) for _ in range(n)]
        return " ".join(result(f) for f in futures)
    return " ".join(one(who, deadline, metadata or None) for _ in range(n))


def main():
    if len(sys.argv) != 2:
        log("usage: client.py xds:///<host>")
        return 2
    with grpc.insecure_channel(sys.argv[1]) as channel:
        who = channel.unary_unary(METHOD)
        answer("ready")
        for raw in sys.stdin:
            fields = raw.split()
            if not fields:
                continue
            if fields[0] == "quit":
                return 0
            if fields[0] in ("call", "concurrent"):
                try:
                    answer(calls(who, fields[1:], fields[0] == "concurrent"))
                except ValueError as e:
                    log(str(e))
                    answer("bad-request " + str(e))
                continue
            log("unknown command " + fields[0])
            answer("bad-request unknown command " + fields[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
