{%- if audience_segments.using_source('fx_rates') %}

    with

    base as (

        select * from {{ ref('base_finance__fx_rates') }}

    ),

    final as (

        select
            currency,

            rate,

            rate_date
        from base
        where row_disposition = 'staged'

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
