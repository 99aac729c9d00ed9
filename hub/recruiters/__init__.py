"""The recruiters' side of the hub: organisations and their recruiters (accounts), who owns
which offers (ownership), the inbox pages where applications are read and answered (web),
mail when applications arrive (notify), offers posted by employers (postings, geocode, rome),
and the funnel that shows what came of it (funnel)."""
