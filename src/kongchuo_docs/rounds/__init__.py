"""报送 rounds (issue 21 #3): the check of a unit's upload (`check`) and the round's 汇总 and 未报 list
(`compile`); the rows live in the store (`store.rounds`). Pages in `web.rounds`, commands in `cli.rounds`."""
