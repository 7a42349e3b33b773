"""The contract the bot side (Rasa, `akan_nlu/`, `actions/`) and the gateway (`bot/`) share.

What one side writes and the other reads: the taxonomy (`taxonomy`), the custom payloads,
their statuses and the `/request_human` button payload (`payloads`), and the Norwegian
wording of dates (`dates`).

The two sides run in different environments, so this package is pure Python: it imports
the standard library only, and nothing of the project (tests/test_import_boundaries.py).
"""
