"""Care pushes with consent (DOMAIN 4): birthday greetings (solar and lunar) and project milestone
notices (封顶, 交付通知, 工地开放日 …), each a push rule registered in ``services/capabilities.py``,
sent only with the owner's recorded consent for its purpose. Empty until the care issue."""
