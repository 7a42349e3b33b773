"""Tools for the NLU training data in data/nlu: import blind-written examples, find near-duplicates
and leaks from the evaluation sets, write Rasa's format split by concern."""
