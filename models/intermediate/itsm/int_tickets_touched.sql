{#- the tickets an incremental build recomputes (grain: ticket_id): those with ticket or event
    rows in this run's new deliveries, the tickets those follow up (a follow-up counts as a
    reopen of its original), every ticket without a resolution yet (its clocks run to the
    events' watermark, which moves) and every ticket of a system export (read again whole each
    run). Every ticket-grain model derives a ticket's rows from the ticket's own rows and
    these, so recomputing this set equals a full build (decision 0013). -#}
with

new_tickets as (

    select
        ticket_id,
        followup_of_ticket_id

    from {{ ref('stg_contract__tickets') }}
    where {{ newly_loaded(ref('stg_contract__load_manifest')) }}

),

new_events as (

    select ticket_id
    from {{ ref('stg_contract__ticket_events') }}
    where {{ newly_loaded(ref('stg_contract__load_manifest')) }}

),

tickets as (

    select * from {{ ref('int_tickets_unioned') }}

),

unresolved as (

    select ticket_id
    from tickets
    where
        source_system <> 'contract'
        or coalesce(status, '') not in ('resolved', 'closed')
        or coalesce(resolved_at, closed_at) is null

),

unioned as (

    select ticket_id from new_tickets
    union all
    select followup_of_ticket_id from new_tickets
    union all
    select ticket_id from new_events
    union all
    select ticket_id from unresolved

),

final as (

    select distinct ticket_id
    from unioned
    where ticket_id is not null

)

select * from final
