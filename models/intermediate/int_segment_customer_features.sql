{#- The consumer's own features (audience_segments_customer_features_model),
    as a view: the one place the package reads them, so their grain test
    runs before any segment is compiled, and the column types the rule
    compiler checks are read from here. Disabled unless the var names a
    model. -#}
{{ config(
    enabled=audience_segments.customer_features_model() is not none,
    materialized='view',
) }}

{%- set features_relation = audience_segments.customer_features_relation() %}

with

customer_features as (

    select * from {{ features_relation }}

),

final as (

    select * from customer_features

)

select * from final
