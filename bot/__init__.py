"""The gateway: the only public surface of Akan-veilederen.

It serves the chat API and the embeddable widget, scrubs personal details
before anything reaches Rasa or a database, and enforces the origin allow-list,
rate limits and size limits. Build the app with `bot.app.create_app(settings)`.
"""
