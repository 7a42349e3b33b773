"""Local servers and process orchestration for the production profile
(PostgreSQL, Redis, Rasa replicas, action server, gateway); see services/production.py."""
