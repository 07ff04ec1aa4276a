{%- if audience_segments.using_source('subscriptions') %}

    with

    base as (

        select * from {{ ref('base_billing__subscriptions') }}

    ),

    final as (

        select
            subscription_id,
            customer_id,

            plan_name,
            {{ audience_segments.subscription_status('subscription_status') }} as subscription_status,

            mrr,

            trial_started_at,
            started_at,
            cancelled_at,
            updated_at
        from base
        where row_disposition = 'staged'

    )

    select * from final

{%- else %}

    {{ audience_segments.disabled_source_relation() }}

{%- endif %}
