with

source as (

    select
        *,
        {{ key_rank(['cost_month', 'team_id'], {
            'cost_month': dbt.date_trunc('month', parse_date('month')),
        }) }} as _key_rank
    from {{ source('landing', 'support_costs') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('team_id') }} as team_id,

        -- numerics
        {{ parse_number('cost_amount') }} as cost_amount,
        upper({{ blank_to_null('currency') }}) as currency_code,

        -- dates: any day of the month names the month
        cast({{ dbt.date_trunc('month', parse_date('month')) }} as date) as cost_month,

        -- raw text the checks need
        source.cost_amount as cost_amount_text,

        -- lineage
        source._row_number,
        source._key_rank,
        source._source_file,
        source._loaded_at,
        source as raw_row

    from source

),

checked as (

    select
        *,
        {{ first_failure([
            ('cost_month is null', 'missing or unparseable month'),
            ('team_id is null', 'missing team_id'),
            (duplicate_key(['cost_month', 'team_id']),
                'duplicate month and team_id'),
            (is_unparseable('cost_amount_text', 'cost_amount'), 'unparseable cost_amount'),
            ('cost_amount is null', 'missing cost_amount'),
            ('cost_amount < 0', 'negative cost_amount'),
            ('currency_code is null', 'missing currency'),
            ("currency_code <> upper('" ~ var('currency') ~ "')",
                'currency is not the configured currency'),
        ] + plausibility_checks('landing', 'support_costs')) }} as quarantine_reason

    from parsed

),

final as (

    select
        cost_month,
        team_id,
        cost_amount,
        currency_code,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
