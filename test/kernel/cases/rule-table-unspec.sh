# ip rule with table 0 or unspec gets a new empty table, the lowest id no table has yet, even
# one that a route add and delete left empty; a rule of another action keeps table 0.
ip rule add from 10.0.0.1 lookup 0
ip rule show
ip route add 10.1.0.0/16 dev lo table 2
ip route del 10.1.0.0/16 dev lo table 2
ip rule add from 10.0.0.2 lookup 0
ip rule add from 10.0.0.3 table 0
ip rule add from 10.0.0.4 lookup unspec
ip rule show
ip route show table 1
ip route add 10.2.0.0/16 dev lo table 0
ip route show table 3
ip rule del from 10.0.0.1
ip rule add from 10.0.0.5 lookup 0
ip rule add from 10.0.0.6 blackhole
ip rule show
