with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

final as (

    {#- The person spine of every mart and fact. Erased people never got
        this far: every base model reads its source without them
        (unerased_source), matched by id and by e-mail. -#}
    select * from customers

)

select * from final
