"""Every role × topic answer written out for people to read (``make answers``)."""
