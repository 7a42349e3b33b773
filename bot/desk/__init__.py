"""The counsellor desk: accounts, sign-in, and the pages, API and WebSocket for the
handoff queue and live chat (SPEC "Human handoff"); the handoff itself is bot/handoff/."""
