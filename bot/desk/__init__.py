"""The counsellor desk: accounts, sign-in, the handoff queue and live chat (SPEC "Human handoff")."""
