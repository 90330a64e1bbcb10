with

source as (

    select
        *,
        {{ key_rank(['invoice_id']) }} as _key_rank
    from {{ source('landing', 'customer_revenue') }}

),

parsed as (

    select
        -- ids
        {{ blank_to_null('invoice_id') }} as invoice_id,
        {{ pseudonymize('customer_id') }} as customer_id,

        -- numerics
        {{ parse_number('revenue_amount') }} as revenue_amount,
        {{ parse_number('gross_margin_amount') }} as gross_margin_amount,
        upper({{ blank_to_null('currency') }}) as currency_code,

        -- dates
        {{ parse_date('invoice_date') }} as invoice_date,

        -- raw text the checks need
        source.gross_margin_amount as gross_margin_amount_text,

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
            ('invoice_id is null', 'missing invoice_id'),
            (duplicate_key(['invoice_id']),
                'duplicate invoice_id'),
            ('customer_id is null', 'missing customer_id'),
            ('invoice_date is null', 'missing or unparseable invoice_date'),
            ('revenue_amount is null', 'missing or unparseable revenue_amount'),
            (is_unparseable('gross_margin_amount_text', 'gross_margin_amount'),
                'unparseable gross_margin_amount'),
            ('currency_code is null', 'missing currency'),
            ("currency_code <> upper('" ~ var('currency') ~ "')",
                'currency is not the configured currency'),
        ] + plausibility_checks('landing', 'customer_revenue')) }} as quarantine_reason

    from parsed

),

final as (

    select
        invoice_id,
        customer_id,
        invoice_date,
        revenue_amount,
        gross_margin_amount,
        currency_code,
        quarantine_reason,
        {{ raw_values_if_quarantined('raw_row') }} as raw_values,
        _row_number,
        _source_file,
        _loaded_at

    from checked

)

select * from final
