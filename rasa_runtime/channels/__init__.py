"""Rasa's input channels: `gateway`, the one channel credentials.yml opens."""
