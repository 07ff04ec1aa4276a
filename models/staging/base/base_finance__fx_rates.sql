{{ config(enabled=audience_segments.using_source('fx_rates')) }}

{%- set raw_columns = ['rate_date', 'rate'] %}

with

source as (

    select * from {{ audience_segments.source_relation('fx_rates') }}

),

typed as (

    {{ audience_segments.typed_source('fx_rates', 'source', raw=raw_columns) }}

),

checked as (

    select
        *,
        case
            when currency is null then 'missing_key'
            when {{ audience_segments.clean_text('_raw__rate_date') }} is null then 'missing_timestamp'
            when rate_date is null then 'unparseable_timestamp'
            when {{ audience_segments.clean_text('_raw__rate') }} is null then 'missing_amount'
            when rate is null then 'unparseable_number'
            when rate <= 0 then 'negative_amount'
        end as quarantine_reason
    from typed

),

validated as (

    select
        {{ audience_segments.staged_column_names('fx_rates') | join(',\n        ') }},
        _row_hash,
        quarantine_reason,
        {{ audience_segments.quarantine_detail({
            'missing_key': 'currency',
            'missing_timestamp': 'rate_date',
            'unparseable_timestamp': 'rate_date',
            'missing_amount': 'rate',
            'unparseable_number': 'rate',
            'negative_amount': 'rate',
        }, raw=raw_columns) }}
    from checked

),

classified as (

    {#- Two rates for one currency and day: a correction; the rows are
        otherwise alike, so the larger hash decides, the same on every run. -#}
    {{ audience_segments.row_disposition('validated', ['currency', 'rate_date'], '_row_hash desc') }}

)

select * from classified
