"""`make bench` / `python -m bench`: load tests of the running service.

Starts its own stack on free loopback ports (default profile: SQLite; production
profile: PostgreSQL, Redis and Rasa replicas), then drives the gateway API and,
in the same run, Rasa's REST channel directly, so the gateway's overhead is
measured against Rasa under the same conditions. See docs/performance.md.
"""
