#!/usr/bin/env python3
"""A userspace "netem" for the end-to-end tests (Python 3.9+, standard library only, run as root).

    impair-link.py [run] [--ns trtcimp] [--host-ip 10.77.0.1] [--ns-ip 10.77.0.2] [--mtu 1500]
                         [--control-socket PATH] [--ignore-stdin]
    impair-link.py tcp-forward LISTEN_ADDR:PORT CONNECT_ADDR:PORT
    impair-link.py ctl SOCKET_PATH '{"cmd":"counters"}'
    impair-link.py cleanup [--ns trtcimp]

`run` creates the network namespace NS and two TUN devices, <NS>A in the root namespace
(HOST_IP, peer NS_IP) and <NS>B inside NS (NS_IP, peer HOST_IP, default route), and copies every
IP packet between them itself: "up" is root -> NS (read from A, written to B), "down" is NS -> root.
Each direction has its own delay, jitter, loss (independent or in bursts) and rate. The kernel's
netem qdisc is not needed (it is missing on the CI machines).

Control: one JSON object per line on stdin (and on --control-socket), one JSON reply per line on
stdout (or the socket); a request's "id" is echoed:
    {"id":1,"cmd":"set","up":{"loss":10},"down":{"delay_ms":150,"jitter_ms":10}}
        ("cmd" may be left out when "up"/"down" are given; a given direction's settings are
         replaced as a whole, missing keys fall back to 0/defaults; a direction left out is kept)
    {"id":2,"cmd":"get"}              -> {"id":2,"ok":true,"up":{...},"down":{...}}
    {"id":3,"cmd":"counters"}         -> {"id":3,"ok":true,"up":{"received":..,"forwarded":..,...},"down":{...}}
    {"id":4,"cmd":"reset_counters"}
    {"id":5,"cmd":"quit"}
Settings of a direction (aliases in brackets):
    delay_ms [delay, delayMs]     fixed one-way delay, ms
    jitter_ms [jitter, jitterMs]  random extra delay: uniform in [-j, +j] or normal with sigma j
    jitter_dist                   "uniform" (default) or "normal"
    reorder                       false (default): a packet never overtakes an earlier one
    loss [loss_percent]           percent of packets dropped at random
    burst [loss_burst]            mean length of a loss burst in packets (Gilbert model); 1 = independent
    rate_kbit [rate, rateKbit]    bottleneck rate in kbit/s (0 = unlimited); packets wait their turn
    queue_ms                      with a rate: drop a packet that would wait longer than this (default 500)
    limit                         most packets held in this direction at once (default 1000)

The first line on stdout is {"ready":true,...} once both ends are up. On SIGTERM, SIGINT, SIGHUP,
end of stdin (unless --ignore-stdin), "quit" or the death of the parent process it stops every
process still inside NS, deletes NS and closes the TUN devices (which removes them). A namespace
left by a crashed run is removed at start; a second live instance for the same NS is refused.
"""

import argparse
import ctypes
import errno
import fcntl
import heapq
import json
import math
import os
import random
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
PR_SET_PDEATHSIG = 1

DEFAULTS = {
    'delay_ms': 0.0,
    'jitter_ms': 0.0,
    'jitter_dist': 'uniform',
    'reorder': False,
    'loss': 0.0,
    'burst': 1.0,
    'rate_kbit': 0.0,
    'queue_ms': 500.0,
    'limit': 1000,
}
ALIASES = {
    'delay': 'delay_ms',
    'delayMs': 'delay_ms',
    'jitter': 'jitter_ms',
    'jitterMs': 'jitter_ms',
    'jitterDist': 'jitter_dist',
    'jitterDistribution': 'jitter_dist',
    'loss_percent': 'loss',
    'lossPercent': 'loss',
    'loss_burst': 'burst',
    'lossBurst': 'burst',
    'rate': 'rate_kbit',
    'rateKbit': 'rate_kbit',
    'queueMs': 'queue_ms',
    'limitPackets': 'limit',
}


class Stop(Exception):
    pass


def log(msg):
    sys.stderr.write('impair-link: %s\n' % msg)
    sys.stderr.flush()


def run(cmd, check=True):
    """Runs a command (a list), returns its CompletedProcess; raises with its stderr when check fails."""
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(cmd), p.returncode, p.stderr.strip()))
    return p


def parse_settings(obj):
    if not isinstance(obj, dict):
        raise ValueError('a direction\'s settings must be an object')
    s = dict(DEFAULTS)
    for k, v in obj.items():
        key = ALIASES.get(k, k)
        if key not in DEFAULTS:
            raise ValueError('unknown setting "%s"' % k)
        if v is None:
            continue
        if key == 'jitter_dist':
            if v not in ('uniform', 'normal'):
                raise ValueError('jitter_dist must be "uniform" or "normal"')
        elif key == 'reorder':
            v = bool(v)
        else:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ValueError('%s must be a number >= 0' % k)
            if key == 'loss' and v > 100:
                raise ValueError('loss is a percentage (0..100)')
            if key == 'burst' and v < 1:
                raise ValueError('burst must be >= 1')
            if key == 'limit':
                v = int(v)
        s[key] = v
    return s


class Direction:
    """Packets read from one TUN device, impaired and written to the other."""

    def __init__(self, name, rfd, wfd):
        self.name = name
        self.rfd = rfd
        self.wfd = wfd
        self.s = dict(DEFAULTS)
        self.heap = []  # (deliver_at, seq, packet)
        self.seq = 0
        self.last_deliver = 0.0
        self.link_free = 0.0
        self.in_burst = False
        self.reset_counters()

    def reset_counters(self):
        self.received = 0
        self.forwarded = 0
        self.dropped_loss = 0
        self.dropped_queue = 0
        self.dropped_write = 0
        self.bytes = 0

    def counters(self):
        return {
            'received': self.received,
            'forwarded': self.forwarded,
            'dropped': self.dropped_loss + self.dropped_queue + self.dropped_write,
            'dropped_loss': self.dropped_loss,
            'dropped_queue': self.dropped_queue,
            'dropped_write': self.dropped_write,
            'bytes': self.bytes,
            'queued': len(self.heap),
        }

    def configure(self, s):
        self.s = s
        self.in_burst = False

    def lost(self):
        p = self.s['loss'] / 100.0
        if p <= 0:
            return False
        if p >= 1:
            return True
        burst = self.s['burst']
        if burst <= 1:
            return random.random() < p
        # Gilbert model: all lost in the bad state, none in the good; mean bad run = burst, and
        # the share of time in the bad state = p.
        p_exit = 1.0 / burst
        p_enter = min(1.0, p * p_exit / (1.0 - p))
        if self.in_burst:
            if random.random() < p_exit:
                self.in_burst = False
        elif random.random() < p_enter:
            self.in_burst = True
        return self.in_burst

    def write(self, pkt):
        try:
            os.write(self.wfd, pkt)
            self.forwarded += 1
            self.bytes += len(pkt)
        except OSError:
            # EAGAIN (queue of the device full), EIO (device down): the wire lost it.
            self.dropped_write += 1

    def on_packet(self, pkt, now):
        self.received += 1
        s = self.s
        if len(self.heap) >= s['limit']:
            self.dropped_queue += 1
            return
        if self.lost():
            self.dropped_loss += 1
            return
        t = now
        rate = s['rate_kbit']
        if rate > 0:
            start = max(now, self.link_free)
            if start - now > s['queue_ms'] / 1000.0:
                self.dropped_queue += 1
                return
            self.link_free = start + len(pkt) * 8 / (rate * 1000.0)
            t = self.link_free
        d = s['delay_ms']
        j = s['jitter_ms']
        if j > 0:
            d += random.gauss(0, j) if s['jitter_dist'] == 'normal' else random.uniform(-j, j)
        if d > 0:
            t += d / 1000.0
        if not s['reorder']:
            t = max(t, self.last_deliver)
            self.last_deliver = t
        if t <= now and not self.heap:
            self.write(pkt)
            return
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, pkt))

    def flush(self, now):
        h = self.heap
        while h and h[0][0] <= now:
            self.write(heapq.heappop(h)[2])

    def next_deadline(self):
        return self.heap[0][0] if self.heap else None

    def read_ready(self, now):
        for _ in range(256):
            try:
                pkt = os.read(self.rfd, 65536)
            except (BlockingIOError, InterruptedError):
                return
            if not pkt:
                return
            self.on_packet(pkt, now)


def open_tun(name):
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH22x', name.encode(), IFF_TUN | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    os.set_blocking(fd, False)
    return fd


def link_exists(name, ns=None):
    return run(['ip'] + (['-n', ns] if ns else []) + ['link', 'show', 'dev', name], check=False).returncode == 0


def ns_exists(ns):
    return os.path.exists('/run/netns/' + ns)


def ns_pids(ns):
    p = run(['ip', 'netns', 'pids', ns], check=False)
    return [int(x) for x in p.stdout.split() if x.isdigit()] if p.returncode == 0 else []


def kill_ns_processes(ns, grace=3.0):
    """SIGTERM to every process inside ns, SIGKILL to those still there after `grace` seconds."""
    pids = [p for p in ns_pids(ns) if p != os.getpid()]
    if not pids:
        return
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not ns_pids(ns):
            return
        time.sleep(0.05)
    for p in ns_pids(ns):
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 2
    while ns_pids(ns) and time.monotonic() < deadline:
        time.sleep(0.05)


def remove_ns(ns, dev_a, dev_b):
    if ns_exists(ns):
        kill_ns_processes(ns)
        run(['ip', 'netns', 'del', ns], check=False)
    # Only persistent TUN devices (not ours) could outlive their process; remove them anyway.
    for dev in (dev_a, dev_b):
        if link_exists(dev):
            run(['ip', 'link', 'del', 'dev', dev], check=False)


def take_lock(ns):
    """An abstract UNIX socket named after ns: freed by the kernel when this process dies."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    try:
        sock.bind('\0trtc-impair-link-' + ns)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise RuntimeError('namespace %s is in use by another running impair-link' % ns)
        raise
    return sock


def set_pdeathsig():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort; end of stdin does the same job
        pass


class Control:
    """Line-based JSON commands from stdin and from clients of an optional UNIX socket."""

    def __init__(self, link, sel, use_stdin, socket_path):
        self.link = link
        self.sel = sel
        self.bufs = {}
        self.socket_path = socket_path
        self.listener = None
        if use_stdin:
            os.set_blocking(0, False)
            self.bufs[0] = b''
            sel.register(0, selectors.EVENT_READ, ('ctl', 0))
        if socket_path:
            try:
                os.unlink(socket_path)
            except FileNotFoundError:
                pass
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
            self.listener.bind(socket_path)
            self.listener.listen(8)
            self.listener.setblocking(False)
            sel.register(self.listener, selectors.EVENT_READ, ('accept', None))
        self.clients = {}

    def close(self):
        for c in list(self.clients.values()):
            c.close()
        if self.listener:
            self.listener.close()
            try:
                os.unlink(self.socket_path)
            except OSError:
                pass

    def accept(self):
        try:
            c, _ = self.listener.accept()
        except OSError:
            return
        c.setblocking(False)
        self.clients[c.fileno()] = c
        self.bufs[c.fileno()] = b''
        self.sel.register(c, selectors.EVENT_READ, ('ctl', c.fileno()))

    def readable(self, fd):
        try:
            data = os.read(fd, 65536) if fd == 0 else self.clients[fd].recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b''
        if not data:
            if self.bufs.get(fd):
                self.handle_line(fd, self.bufs[fd])
            self.drop(fd)
            if fd == 0:
                raise Stop('end of stdin')
            return
        buf = self.bufs[fd] + data
        *lines, self.bufs[fd] = buf.split(b'\n')
        for line in lines:
            self.handle_line(fd, line)

    def drop(self, fd):
        try:
            self.sel.unregister(fd if fd == 0 else self.clients[fd])
        except (KeyError, ValueError):
            pass
        self.bufs.pop(fd, None)
        c = self.clients.pop(fd, None)
        if c:
            c.close()

    def reply(self, fd, obj):
        data = (json.dumps(obj) + '\n').encode()
        if fd == 0:
            try:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            except (BrokenPipeError, OSError):
                raise Stop('stdout closed')
        else:
            c = self.clients.get(fd)
            if c:
                try:
                    c.setblocking(True)
                    c.sendall(data)
                    c.setblocking(False)
                except OSError:
                    self.drop(fd)

    def handle_line(self, fd, line):
        line = line.strip()
        if not line:
            return
        rid = None
        try:
            req = json.loads(line)
            if not isinstance(req, dict):
                raise ValueError('expected a JSON object')
            rid = req.get('id')
            cmd = req.get('cmd') or ('set' if ('up' in req or 'down' in req) else None)
            out = self.link.command(cmd, req)
            out = dict(out or {})
            out['ok'] = True
        except Stop:
            self.reply(fd, {'id': rid, 'ok': True})
            raise
        except (ValueError, TypeError) as e:
            out = {'ok': False, 'error': str(e)}
        out['id'] = rid
        self.reply(fd, out)


class Link:
    def __init__(self, args):
        self.args = args
        self.ns = args.ns
        self.dev_a = args.dev_a or (args.ns[:14] + 'A')
        self.dev_b = args.dev_b or (args.ns[:14] + 'B')
        self.fd_a = self.fd_b = None
        self.created = False
        self.up = self.down = None

    def setup(self):
        a = self.args
        ns, da, db = self.ns, self.dev_a, self.dev_b
        if not os.path.exists('/dev/net/tun'):
            raise RuntimeError('/dev/net/tun is missing (modprobe tun, or give the container the device)')
        remove_ns(ns, da, db)
        self.created = True  # from here on, teardown deletes ns
        run(['ip', 'netns', 'add', ns])
        self.fd_a = open_tun(da)
        self.fd_b = open_tun(db)
        run(['ip', 'link', 'set', 'dev', db, 'netns', ns])
        # Root side. No IPv6 on the link (no router solicitations in the counters, no v6 ICE pairs),
        # no reverse-path filter on it.
        for path, v in (
            ('/proc/sys/net/ipv6/conf/%s/disable_ipv6' % da, '1'),
            ('/proc/sys/net/ipv4/conf/%s/rp_filter' % da, '0'),
        ):
            try:
                with open(path, 'w') as f:
                    f.write(v)
            except OSError:
                pass
        run(['ip', 'addr', 'add', a.host_ip, 'peer', a.ns_ip + '/32', 'dev', da])
        run(['ip', 'link', 'set', 'dev', da, 'mtu', str(a.mtu), 'up'])
        # Namespace side.
        run(
            [
                'ip', 'netns', 'exec', ns, 'sh', '-c',
                'for f in /proc/sys/net/ipv4/conf/all/rp_filter /proc/sys/net/ipv4/conf/default/rp_filter '
                '/proc/sys/net/ipv4/conf/%s/rp_filter; do echo 0 > $f; done; '
                'echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6 || true' % (db, db),
            ],
            check=False,
        )
        run(['ip', '-n', ns, 'link', 'set', 'dev', 'lo', 'up'])
        run(['ip', '-n', ns, 'addr', 'add', a.ns_ip, 'peer', a.host_ip + '/32', 'dev', db])
        run(['ip', '-n', ns, 'link', 'set', 'dev', db, 'mtu', str(a.mtu), 'up'])
        run(['ip', '-n', ns, 'route', 'add', 'default', 'dev', db])
        self.up = Direction('up', self.fd_a, self.fd_b)
        self.down = Direction('down', self.fd_b, self.fd_a)

    def teardown(self):
        if self.created:
            kill_ns_processes(self.ns)
        for fd in (self.fd_a, self.fd_b):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.fd_a = self.fd_b = None
        if self.created:
            run(['ip', 'netns', 'del', self.ns], check=False)
            self.created = False

    def command(self, cmd, req):
        if cmd == 'set':
            new = {}
            for d in ('up', 'down'):
                if d in req and req[d] is not None:
                    new[d] = parse_settings(req[d])
            for d, s in new.items():
                getattr(self, d).configure(s)
            return {'up': self.up.s, 'down': self.down.s}
        if cmd == 'get':
            return {'up': self.up.s, 'down': self.down.s}
        if cmd == 'counters':
            return {'up': self.up.counters(), 'down': self.down.counters()}
        if cmd == 'reset_counters':
            self.up.reset_counters()
            self.down.reset_counters()
            return {}
        if cmd == 'quit':
            raise Stop('quit')
        raise ValueError('unknown command %r' % (cmd,))

    def loop(self, control_stdin, socket_path):
        sel = selectors.DefaultSelector()
        sel.register(self.fd_a, selectors.EVENT_READ, ('dir', self.up))
        sel.register(self.fd_b, selectors.EVENT_READ, ('dir', self.down))
        ctl = Control(self, sel, control_stdin, socket_path)
        ready = {
            'ready': True,
            'ns': self.ns,
            'host_ip': self.args.host_ip,
            'ns_ip': self.args.ns_ip,
            'host_dev': self.dev_a,
            'ns_dev': self.dev_b,
            'mtu': self.args.mtu,
            'pid': os.getpid(),
        }
        sys.stdout.write(json.dumps(ready) + '\n')
        sys.stdout.flush()
        try:
            while True:
                deadlines = [d for d in (self.up.next_deadline(), self.down.next_deadline()) if d is not None]
                timeout = None
                if deadlines:
                    timeout = max(0.0, min(deadlines) - time.monotonic())
                for key, _ in sel.select(timeout):
                    kind, obj = key.data
                    if kind == 'dir':
                        obj.read_ready(time.monotonic())
                    elif kind == 'accept':
                        ctl.accept()
                    else:
                        ctl.readable(obj)
                now = time.monotonic()
                self.up.flush(now)
                self.down.flush(now)
        finally:
            ctl.close()
            sel.close()


def cmd_run(args):
    def on_signal(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    set_pdeathsig()
    if args.ppid and os.getppid() != args.ppid:
        return 1
    lock = take_lock(args.ns)
    link = Link(args)
    code = 0
    try:
        link.setup()
        link.loop(not args.ignore_stdin, args.control_socket)
    except Stop as e:
        log('stopping (%s)' % e)
    except Exception as e:  # noqa: BLE001
        log('error: %s' % e)
        code = 1
    finally:
        # No signal may interrupt the clean-up half way.
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        link.teardown()
        lock.close()
    return code


def cmd_cleanup(args):
    lock = take_lock(args.ns)  # refuses while a live instance owns ns
    remove_ns(args.ns, args.dev_a or args.ns[:14] + 'A', args.dev_b or args.ns[:14] + 'B')
    lock.close()
    return 0


def split_addr(s):
    host, _, port = s.rpartition(':')
    if not host or not port.isdigit():
        raise SystemExit('expected ADDR:PORT, got %r' % s)
    return host.strip('[]'), int(port)


def cmd_tcp_forward(args):
    """Accepts on LISTEN and copies each connection to a new one to CONNECT, both ways."""
    set_pdeathsig()
    listen = split_addr(args.listen)
    target = split_addr(args.connect)
    srv = socket.create_server(listen, backlog=128)

    def pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def serve(client):
        try:
            upstream = socket.create_connection(target, timeout=10)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t = threading.Thread(target=pump, args=(upstream, client), daemon=True)
        t.start()
        pump(client, upstream)
        t.join()
        client.close()
        upstream.close()

    def watch_stdin():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        os._exit(0)

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if not args.ignore_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write(json.dumps({'ready': True, 'listen': args.listen, 'connect': args.connect}) + '\n')
    sys.stdout.flush()
    try:
        while True:
            c, _ = srv.accept()
            threading.Thread(target=serve, args=(c,), daemon=True).start()
    except KeyboardInterrupt:
        return 0


def cmd_ctl(args):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(args.socket)
    s.sendall(args.json.encode() + b'\n')
    buf = b''
    while b'\n' not in buf:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    sys.stdout.write(buf.decode())
    return 0 if b'"ok": true' in buf else 1


def main(argv):
    if not argv or argv[0].startswith('-'):
        argv = ['run'] + argv
    p = argparse.ArgumentParser(prog='impair-link.py', description=__doc__.split('\n\n')[0])
    sub = p.add_subparsers(dest='command', required=True)

    def ns_opts(q):
        q.add_argument('--ns', default='trtcimp', help='network namespace name (default trtcimp)')
        q.add_argument('--dev-a', help='TUN device in the root namespace (default <ns>A)')
        q.add_argument('--dev-b', help='TUN device in the namespace (default <ns>B)')

    r = sub.add_parser('run', help='create the link and forward (default)')
    ns_opts(r)
    r.add_argument('--host-ip', default='10.77.0.1')
    r.add_argument('--ns-ip', default='10.77.0.2')
    r.add_argument('--mtu', type=int, default=1500)
    r.add_argument('--control-socket', help='also take commands on this UNIX socket path')
    r.add_argument('--ignore-stdin', action='store_true', help='do not read commands from stdin nor stop at its end')
    r.add_argument('--ppid', type=int, default=0, help='exit at once if the parent is no longer this pid')
    c = sub.add_parser('cleanup', help='remove a namespace left by a crashed run')
    ns_opts(c)
    f = sub.add_parser('tcp-forward', help='TCP port forwarder (stops at the end of stdin)')
    f.add_argument('listen')
    f.add_argument('connect')
    f.add_argument('--ignore-stdin', action='store_true')
    t = sub.add_parser('ctl', help='send one command to a --control-socket and print the reply')
    t.add_argument('socket')
    t.add_argument('json')
    args = p.parse_args(argv)
    if args.command in ('run', 'cleanup'):
        if os.geteuid() != 0:
            log('must run as root (network namespaces, TUN devices)')
            return 1
        if len(args.ns) > 15 or not args.ns.replace('-', '').replace('_', '').isalnum():
            log('bad --ns name %r' % args.ns)
            return 1
        try:
            return cmd_run(args) if args.command == 'run' else cmd_cleanup(args)
        except RuntimeError as e:
            log('error: %s' % e)
            return 1
    if args.command == 'tcp-forward':
        return cmd_tcp_forward(args)
    return cmd_ctl(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
