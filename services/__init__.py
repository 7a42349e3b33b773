"""Starting the stack as processes: the default and production profiles (PostgreSQL, Redis,
Rasa replicas, action server, gateway; see services/production.py) and the Rasa launcher.
What runs inside the Rasa process (fixes, tracker stores) is in rasa_runtime/."""
