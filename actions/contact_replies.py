"""The ways to reach a human, and the emergency numbers, as reply text and payloads.

Shared by the crisis, handoff and misunderstanding replies so that numbers are
written in one place (the knowledge base's contacts.yml).
"""
from __future__ import annotations

from actions.knowledge_base import KnowledgeBase
from akan_contract import payloads


def emergency_lines(kb: KnowledgeBase) -> str:
    return "\n".join(f"• {c.number} – {c.name}" for c in kb.crisis_contacts)


def akan_lines(kb: KnowledgeBase) -> str:
    chat = kb.akan_chat.replace("https://", "")
    return (
        f"• Ring veiledningstelefonen: {kb.akan_phone}\n"
        f"• Send e-post: {kb.akan_email}\n"
        f"• Chat med en veileder på {chat}"
    )


def handoff_payload(kb: KnowledgeBase, status: str, reason: str) -> dict:
    """Machine-readable handoff metadata (SPEC "Conversation behaviour")."""
    return {
        "type": payloads.HANDOFF,
        "status": status,
        "reason": reason,
        "contacts": {"phone": kb.akan_phone, "email": kb.akan_email, "chat": kb.akan_chat},
    }


def crisis_payload(kb: KnowledgeBase, third_person: bool, role: str | None = None) -> dict:
    """`role` (who is writing, if known) lets the anonymous statistics count who meets a crisis."""
    return {
        "type": payloads.CRISIS,
        "third_person": third_person,
        "role": role,
        "contacts": [{"name": c.name, "number": c.number} for c in kb.crisis_contacts],
    }
