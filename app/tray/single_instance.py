"""One tray app per vault: a second launch hands over to the first and exits.

Uses QLocalServer/QLocalSocket: a local (AF_UNIX) socket, never a network one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.qt.core import QObject, Signal
from app.qt.network import QLocalServer, QLocalSocket

HELLO = b"activate\n"


def server_name(home: Path) -> str:
    """A per-user, per-vault name for the local socket."""
    digest = hashlib.sha256(str(Path(home).resolve()).encode("utf-8")).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"overt-{uid}-{digest}"


class SingleInstance(QObject):
    """Claims the name, or tells the running instance to show itself.

    Attributes:
        name: the local socket name.
        server: our server when we are the first instance.

    Signals:
        activated(): another launch asked us to show ourselves.
    """

    activated = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None

    def claim(self, timeout_ms: int = 500) -> bool:
        """True if we are the first instance; False after handing over to the running one."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(timeout_ms):
            socket.write(HELLO)
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            return False
        # Nobody answered: a stale socket file from a crash may remain; remove it.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            return True  # cannot listen: run anyway rather than refuse to show the indicator
        server.newConnection.connect(self._connection)
        self.server = server
        return True

    def _connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            if conn is None:
                break
            # The hello is tiny: wait for it here rather than keep per-connection state.
            if conn.bytesAvailable() or conn.waitForReadyRead(200):
                data = bytes(conn.readAll().data())
                if data.startswith(HELLO.strip()):
                    self.activated.emit()
            conn.disconnectFromServer()
            conn.deleteLater()

    def release(self) -> None:
        """Stop listening (on quit)."""
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
