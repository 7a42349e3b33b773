"""Rasa's SQL tracker store, made to survive a database restart (`reconnecting`) and to
keep the trackers it just saved in memory (`cached`). Both endpoints files use
`rasa_runtime.tracker_stores.cached.CachedSQLTrackerStore`.
"""
