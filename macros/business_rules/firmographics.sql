{#- Firmographic bands. Each is a dispatched macro so a consuming project can
    move the cut-offs (override `default__company_size_band`) without forking. -#}

{% macro company_size_band(employee_count) -%}
    {{ return(adapter.dispatch('company_size_band', 'audience_segments')(employee_count)) }}
{%- endmacro %}

{% macro default__company_size_band(employee_count) -%}
    case
        when {{ employee_count }} is null then null
        when {{ employee_count }} < 100 then 'smb'
        when {{ employee_count }} < 1000 then 'mid_market'
        else 'enterprise'
    end
{%- endmacro %}


{% macro revenue_band(annual_revenue) -%}
    {{ return(adapter.dispatch('revenue_band', 'audience_segments')(annual_revenue)) }}
{%- endmacro %}

{% macro default__revenue_band(annual_revenue) -%}
    case
        when {{ annual_revenue }} is null then null
        when {{ annual_revenue }} < 1000000 then 'under_1m'
        when {{ annual_revenue }} < 10000000 then '1m_to_10m'
        when {{ annual_revenue }} < 100000000 then '10m_to_100m'
        else 'over_100m'
    end
{%- endmacro %}


{% macro tracked_tools() -%}
    {{ return(['salesforce', 'hubspot', 'slack', 'snowflake', 'aws', 'azure', 'gcp', 'shopify', 'sap', 'zendesk']) }}
{%- endmacro %}


{% macro uses_tool(tech_stack, tool) -%}
    {{ return(adapter.dispatch('uses_tool', 'audience_segments')(tech_stack, tool)) }}
{%- endmacro %}

{#- Pipes around both sides so 'sap' never matches inside another name. -#}
{% macro default__uses_tool(tech_stack, tool) -%}
    coalesce({{ dbt.position("'|" ~ tool ~ "|'", dbt.concat(["'|'", tech_stack, "'|'"])) }} > 0, false)
{%- endmacro %}
