"""Platform adapters: each translates one platform to and from `bot.adapters.base`."""
