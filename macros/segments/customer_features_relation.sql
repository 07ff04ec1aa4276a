{#- ref() to the consumer's features model (customer_features_model()), for
    int_segment_customer_features; none when no model is configured. A bare
    name is a model of the root project (the consuming project): the ref
    names that project, so dbt never resolves it to a package model of the
    same name. -#}
{% macro customer_features_relation() -%}
    {%- set features = audience_segments.customer_features_model() -%}
    {%- if features is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(ref(features.package or project_name, features.name)) }}
{%- endmacro %}
