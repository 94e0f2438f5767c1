"""Writes of contacts and the contact card. Views, the admin, imports and commands
all come through here, so the primary rules and the validation of emails, phone
numbers and websites hold whichever way a change arrives."""
