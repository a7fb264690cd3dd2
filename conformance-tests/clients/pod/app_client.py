"""The app of a test pod calling models, unaware of any proxy: plain HTTP or gRPC to an address.

Usage: app_client.py http|grpc ADDRESS:PORT AUTHORITY COUNT

Prints one line per call: the answer (the backend's tag), or "ERR <what went wrong>". The address is
whatever the app resolved the model's name to; the sidecar's capture takes the connection from
there. HTTP calls share one keep-alive connection; gRPC calls share one channel.
"""
import http.client
import sys


def http_calls(address, authority, count):
    host, port = address.rsplit(":", 1)
    conn = None
    for _ in range(count):
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", "/", headers={"Host": authority})
            response = conn.getresponse()
            body = response.read().decode()
            print(body if response.status == 200 else f"ERR HTTP {response.status} {body}", flush=True)
        except Exception as e:  # a refused or reset connection is an answer too
            print(f"ERR {type(e).__name__} {e}", flush=True)
            conn = None


def grpc_calls(address, authority, count):
    import grpc

    channel = grpc.insecure_channel(address, options=[("grpc.default_authority", authority)])
    who = channel.unary_unary(
        "/sluice.test.Tagged/Who",
        request_serializer=lambda s: s.encode(),
        response_deserializer=lambda b: b.decode(),
    )
    for _ in range(count):
        try:
            print(who("who", timeout=5), flush=True)
        except grpc.RpcError as e:
            print(f"ERR {e.code().name} {e.details()}", flush=True)


mode, address, authority, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
(http_calls if mode == "http" else grpc_calls)(address, authority, count)
