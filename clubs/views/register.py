"""The session register: checking in and out, the reward."""
