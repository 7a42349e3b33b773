"""The one knowledge base the action server answers from, loaded on first use."""
from __future__ import annotations

from functools import lru_cache

from actions.knowledge_base import KnowledgeBase, load_knowledge_base


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return load_knowledge_base()
