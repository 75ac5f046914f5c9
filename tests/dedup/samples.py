"""Texts for the dedup tests: a wire story with a scraper copy, and templated series that share most
of their words but are different news."""

from __future__ import annotations

WIRE_TITLE = "Port workers end strike after pay deal"
WIRE = [
    "Dock workers at the country's three largest ports returned to work on Friday after their union "
    "accepted a pay offer that ends a strike which had left hundreds of ships waiting offshore.",
    "The agreement raises wages by 7.5 percent this year and a further 4 percent next year, the union "
    "said in a statement, and includes a one-off payment for the 12,000 workers it represents.",
    "The employers' association said the deal was expensive but necessary to clear the backlog, which "
    "shipping analysts estimated at more than 300 vessels at the peak of the dispute last week.",
    "Retailers had warned that shelves could run short of imported goods before the holiday season if the "
    "strike continued, and several carmakers had slowed production lines for lack of parts.",
    "The transport minister welcomed the agreement and said the government would review how disputes at "
    "critical infrastructure are settled, without giving details of what changes it was considering.",
    "Union leaders said members had voted by a large majority to accept the offer in a ballot that closed "
    "on Thursday evening, with turnout of 81 percent.",
    "Port operators said it would take around two weeks to work through the queue of ships, and that "
    "priority would go to vessels carrying perishable food and medical supplies.",
    "Shares in the largest listed port operator rose 3.2 percent in early trading after the announcement.",
]


def scraper_copy() -> tuple[str, list[str]]:
    """What a scraper site makes of WIRE: another headline, its own junk and promo, last paragraph cut."""
    return (
        "Strike over: dock workers accept pay offer",
        [
            "source site-28",
            *WIRE[:3],
            "Sign up for the Morning Briefing newsletter to get the day's top stories in your inbox.",
            *WIRE[3:-1],
            "Leave a Reply",
        ],
    )


SERIES = {
    "football": (
        "Riverside beat Northgate {a}-{b}",
        [
            "Riverside beat Northgate {a}-{b} at home on {day} to move up to {pos}th place in the league table.",
            "The hosts opened the scoring in the {m}th minute with a low shot from the edge of the area and "
            "doubled the lead shortly after the break when a header found the far corner.",
            "Match reports are compiled from the official league data feed and checked by our sports desk before "
            "publication. Kick-off times, venues and broadcast details can be found on the fixtures page, which "
            "is updated every morning during the season.",
            "Supporters travelling to away matches are advised to check ticket availability with the home club "
            "in advance, as allocations for visiting fans are limited and tickets are not sold on the day.",
        ],
    ),
    "markets": (
        "DAX closes at {a},{b} points",
        [
            "The DAX closed up {pos}.{m} percent at {a},{b} points on {day}, as investors weighed central bank "
            "comments and the latest company results.",
            "Market data is provided by the exchange with a delay of at least fifteen minutes and is for "
            "information only. Nothing in this report constitutes investment advice, and readers should consult "
            "a licensed adviser before making any investment decision.",
            "The index tracks the largest listed companies by market capitalisation and free float, and its "
            "composition is reviewed every quarter by the index committee according to published rules.",
        ],
    ),
    "lottery": (
        "Lotto results for {day}",
        [
            "The winning numbers in {day}'s Lotto draw were {a}, {b}, {pos}, {m}, 41 and 45, with bonus ball 7.",
            "No ticket matched all six numbers, so the jackpot rolls over to an estimated 12 million for the "
            "next draw.",
            "All results are subject to official confirmation by the lottery operator. In the event of any "
            "discrepancy between these results and the official winning numbers, the official numbers prevail.",
            "Players must be eighteen or over. Please play responsibly: set a budget, never chase losses, and "
            "contact the national gambling helpline if gambling stops being fun.",
        ],
    ),
    "weather": (
        "Hamburg weather for {day}",
        [
            "Hamburg weather for {day}: cloudy skies in the morning, with sunny spells expected later in the day.",
            "Temperatures will reach a high of {a} degrees and fall to {b} degrees overnight, with winds from the "
            "west at {m} kilometres per hour.",
            "Forecasts are produced from the national weather service's models and updated four times a day. "
            "Severe weather warnings are issued separately and take precedence over the general outlook given here.",
            "Residents with respiratory conditions should follow the advice of their doctor on days with high "
            "pollen counts or poor air quality, and check the air quality index published every morning.",
        ],
    ),
}


def series(kind: str, **facts: object) -> tuple[str, list[str]]:
    """One instance of a templated series; ``facts`` fill a, b, pos, m and day."""
    values = {"a": 2, "b": 1, "pos": 4, "m": 23, "day": "Saturday", **facts}
    title, blocks = SERIES[kind]
    return title.format(**values), [block.format(**values) for block in blocks]
