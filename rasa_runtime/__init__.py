"""What runs inside the Rasa process besides Rasa itself (Rasa 3.6.21, .venv).

- `fixes/`: Rasa functions replaced at start-up (per-message costs no setting reaches,
  a silent fallback, message text in logs, the API token in the URL), installed by `services.rasa_launcher`
  behind a tripwire: another Rasa version or a changed function refuses to start,
  and `RASA_FIX_<NAME>=0` switches one off.
- `tracker_stores/`: the SQL tracker stores the endpoints files name.
- `channels/`: the gateway's input channel (credentials.yml), behind a shared secret.
- `bearer`: the shared secret in an `Authorization: Bearer` header, compared in constant time.
"""
