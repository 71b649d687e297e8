"""Who is asking: the `Viewer` every query and write is checked against.

Roles are ordered: a viewer reads; an analyst also ingests, merges and undoes; an admin also manages users.
A viewer sees the shared knowledge base plus the documents of its own organisation, never another's.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "analyst", "admin")


@dataclass(frozen=True, slots=True)
class Viewer:
    user: str | None  # the login name; None for an anonymous reader
    role: str  # "anonymous" or one of ROLES
    org: str | None = None  # organisation id; None: sees and writes the shared kb only
    org_name: str | None = None
    everything: bool = False  # the command line, run by whoever holds the database: sees every organisation

    def can(self, role: str) -> bool:
        """At least `role` (viewer < analyst < admin)."""
        if self.role not in ROLES:
            return False
        return ROLES.index(self.role) >= ROLES.index(role)

    def sees_org(self, org_id: str | None) -> bool:
        return self.everything or org_id is None or org_id == self.org


ANONYMOUS = Viewer(user=None, role="anonymous")
COMMAND_LINE = Viewer(user="cli", role="admin", everything=True)
