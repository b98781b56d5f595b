"""An SMTP server for tests (aiosmtpd) that keeps what it receives.

Each accepted message is written to OUT_DIR as <n>.eml (the raw bytes) and <n>.json (the
envelope recipients, every header, and the decoded text and HTML parts), written under a
temporary name first so a reader never sees half a file.

Recipients whose address contains `reject` are refused for good (550), those containing
`tempfail` for now (451). With KILL_PID_FILE set, the first message is stored and then
the process whose id is in that file is killed (SIGKILL) before the server answers 250:
the server has the message, the sender never learns it was accepted.

SINK=1 counts messages without storing them (for the benchmark): the count is in
OUT_DIR/count, rewritten every 100 messages and at the end of each session.
"""

import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.n = 0
        self.killed = False
        self.sink = os.environ.get("SINK") == "1"
        self.kill_pid_file = os.environ.get("KILL_PID_FILE")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject" in address:
            return "550 5.1.1 Mailbox unavailable"
        if "tempfail" in address:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def write(self, name, data):
        path = os.path.join(self.out_dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.rename(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        if self.sink:
            if self.n % 100 == 0:
                self.write("count", str(self.n).encode())
            return "250 OK"
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        summary = {
            "rcpt": envelope.rcpt_tos,
            "headers": [[k, str(v)] for k, v in msg.items()],
            "content_type": msg.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        name = f"{self.n:06d}"
        self.write(name + ".eml", raw)
        self.write(name + ".json", json.dumps(summary).encode())
        if self.kill_pid_file and not self.killed:
            self.killed = True
            pid = None
            for _ in range(400):
                try:
                    with open(self.kill_pid_file) as f:
                        pid = int(f.read().strip())
                    break
                except (OSError, ValueError):
                    await asyncio.sleep(0.05)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                await asyncio.sleep(0.2)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.sink:
            self.write("count", str(self.n).encode())
        return "221 Bye"


def main():
    port = int(sys.argv[1])
    out_dir = sys.argv[2]
    handler = Handler(out_dir)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = asyncio.Event()

    async def wait():
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        if handler.sink:
            handler.write("count", str(handler.n).encode())
        controller.stop()


if __name__ == "__main__":
    main()
