"""Analyses of a solved plan: each reads the plan (and may ask the one solve primitive,
`planner.solving.primitive.solve_instance`, for more solves) and returns its own findings —
tables, Summary rows, Scenarios columns — which the results stage merges in one place.

hedging    EVPI and VSS: wait-and-see solves, the base plan in every future
caps       what the share caps cost: the same fan with every cap lifted
diagnose   why there is no plan: the workbook rows whose limits had to give
stress     a plan against thousands of sampled paths
sweep      the plan at several levels of one setting (the price of de-risking, the Risks sheet's levels)
break_even the risk scale at which a stockpile held at its floor would start to pay
compare    what changed between two reports
support    each built plant's margin at market prices and the support it needs
jobs       direct jobs in processing, per country and year on the base path
decomposition  what a decomposition proved: its bounds, gap and effort
committed  where the least-cost plan disagrees with a decision already taken, and at what cost
deals      what the deals already signed (Support rows on existing or committed plants) cost their funders
"""
