{%- if audience_segments.using_source('erasure_requests') %}

    with

    base as (

        select * from {{ ref('base_privacy__erasure_requests') }}

    ),

    final as (

        select
            customer_key_hash,

            requested_at
        from base
        where row_disposition = 'staged'

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
