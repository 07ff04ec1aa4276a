{#- The consumer's own features model named by the var
    audience_segments_customer_features_model (default none): a model of the
    consuming project, one row per customer_id, whose columns segment rules
    read like customer_360 columns. Returns none when unset, else
    {'name': model, 'package': package or none, 'label': the var's value}.
    A bare name is a model of the root project; `my_package.my_features`
    names a model of an installed package. -#}
{% macro customer_features_model() -%}
    {%- set value = var('audience_segments_customer_features_model', none) -%}
    {%- if value is none or value == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is not string or not modules.re.match('^([A-Za-z_][A-Za-z0-9_]*[.])?[A-Za-z_][A-Za-z0-9_]*$', value) -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments configuration error: audience_segments_customer_features_model must name a model '
            ~ '(my_features, or my_project.my_features), got ' ~ value) }}
    {%- endif -%}
    {%- set parts = value.split('.') -%}
    {{ return({'name': parts[-1], 'package': parts[0] if parts | length == 2 else none, 'label': value}) }}
{%- endmacro %}
