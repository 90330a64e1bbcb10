{{ config(enabled=var('gate_canary', false)) }}
-- fails on purpose when var gate_canary is true (tests/python/test_gate.py): proves that a
-- failing check withholds exactly the KPIs downstream of the model it tests
select
    cost_month,
    team_id
from {{ ref('fct_support_costs') }}
