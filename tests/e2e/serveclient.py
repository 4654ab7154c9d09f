"""Helpers for the tests of `gongwen serve`: start a server on a free port of
127.0.0.1 (or another address), send requests with http.client (standard
library only), read the server's RSS. Used by test_serve.py,
test_serve_browser.py and scripts/bench."""
import http.client
import json
import os
import re
import subprocess
import time


class Server:
    def __init__(self, gongwen, folder, *extra):
        self.proc = subprocess.Popen([gongwen, "serve", folder, "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/(\?token=([0-9a-f]+))?", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("serve did not print its address: " + line +
                               self.proc.stderr.read())
        self.host, self.port = m.group(1), int(m.group(2))
        self.token = m.group(4)
        self.line = line.strip()
        self.url = f"http://{self.host}:{self.port}/" + (f"?token={self.token}" if self.token else "")

    def request(self, method, path, body=None, headers=None, host=None, timeout=60):
        """(status, headers dict, body bytes). host replaces the Host header."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        h = {"Host": host or f"{self.host}:{self.port}"}
        if method == "POST":
            h["X-Gongwen"] = "1"
        h.update(headers or {})
        c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in h.items():
            if v is not None:
                c.putheader(k, v)
        data = body.encode("utf-8") if isinstance(body, str) else body
        if data is not None and "Content-Length" not in h:
            c.putheader("Content-Length", str(len(data)))
        c.endheaders()
        try:
            if data:
                try:
                    c.send(data)
                except (ConnectionResetError, BrokenPipeError):
                    pass  # refused before the body was read: the answer is waiting
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        except (ConnectionResetError, BrokenPipeError) as e:
            return None, {}, str(e).encode()
        finally:
            c.close()

    def json(self, method, path, body=None, **kw):
        status, _, data = self.request(method, path, body, **kw)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, {"raw": data.decode("utf-8", "replace")}

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def load(server, text, clients, seconds, name=None, count=None):
    """clients threads building text for seconds (or until count builds in all):
    (builds, errors, latencies in ms, sorted)."""
    import threading
    from urllib.parse import quote
    path = "/api/build" + (f"?name={quote(name)}" if name else "")
    lat, errors, lock = [], [0], threading.Lock()
    end = time.monotonic() + seconds

    def more():
        if count is not None:
            with lock:
                return len(lat) + errors[0] < count
        return time.monotonic() < end

    def client():
        while more():
            t0 = time.perf_counter()
            status, d = server.json("POST", path, text)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                if status == 200 and d.get("ok"):
                    lat.append(ms)
                else:
                    errors[0] += 1

    ts = [threading.Thread(target=client) for _ in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return len(lat), errors[0], sorted(lat)


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]
