{#- Overrides found first through this project's dispatch search order. -#}

{#- This business sells to smaller companies: enterprise starts at 500. -#}
{% macro default__company_size_band(employee_count) -%}
    case
        when {{ employee_count }} is null then null
        when {{ employee_count }} < 50 then 'smb'
        when {{ employee_count }} < 500 then 'mid_market'
        else 'enterprise'
    end
{%- endmacro %}

{#- A wider "high" tier than the package's: monetary scores 4 and 5. -#}
{% macro default__segment_rule_value_tier(tier) -%}
    {%- set bounds = {'high': (4, 5), 'medium': (3, 3), 'low': (1, 2)} -%}
    monetary_score between {{ bounds[tier][0] }} and {{ bounds[tier][1] }}
{%- endmacro %}
