"""Sharing a board: share links and the guests who join by them, email invitations, and the
members page. Writes are in `services`, reads in `selectors`; `views` (pages) and `api` (REST)
are one call thick."""
