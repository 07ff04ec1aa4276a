{#- Countries the demo market serves. A code outside this list (a typo, 'UK'
    for 'GB', a placeholder) becomes NULL ('unknown') rather than a country
    nobody can target. Override the macro to widen the list. -#}
{% macro known_country_codes() -%}
    {{ return(adapter.dispatch('known_country_codes', 'audience_segments')()) }}
{%- endmacro %}

{% macro default__known_country_codes() -%}
    {{ return([
        'US', 'CA', 'MX', 'BR', 'AR', 'GB', 'IE', 'DE', 'FR', 'ES', 'IT', 'NL',
        'BE', 'CH', 'AT', 'SE', 'NO', 'DK', 'FI', 'PL', 'PT', 'IN', 'JP', 'SG',
        'AU', 'NZ', 'ZA', 'AE', 'CN', 'KR'
    ]) }}
{%- endmacro %}
