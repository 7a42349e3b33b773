"""Persistence: the gateway's own tables and the cleanup of Rasa's tracker store."""
