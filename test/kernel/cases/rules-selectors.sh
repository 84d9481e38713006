# Selectors, actions and printing of ip rule: fwmark with and without mask, iif/oif (and a
# detached iif), not, typed rules, goto (resolved and not), nop, tos, automatic and explicit
# priorities, deletion errors, parser errors, flush (rules with priority 0 survive).
ip link set lo up
ip link add eth0 type veth peer name eth1
ip link set eth0 up
ip link set eth1 up
ip addr add 10.0.0.1/24 dev eth0
ip addr add 10.0.1.1/24 dev eth1
ip route add 10.9.0.0/16 via 10.0.0.2 table 100
ip route add 10.9.0.0/16 via 10.0.1.2 table 200
ip rule add fwmark 7 table 100
ip rule add fwmark 0x8/0xff lookup 200 pref 1000
ip rule add iif eth1 table 100
ip rule add oif eth1 table 200
ip rule add not from 10.0.0.0/8 table 100
ip rule add to 192.0.2.0/24 unreachable
ip rule add to 198.51.100.0/24 prohibit
ip rule add to 203.0.113.0/24 blackhole
ip rule add from 10.5.0.0/16 goto 32766
ip rule add from 10.6.0.0/16 nop
ip rule add tos 0x10 table 100
ip rule add iif nosuch table 100
ip rule add from 10.7.0.1 to 10.8.0.0/16 table main
ip rule add from 0.0.0.0/0 table 300
ip rule show
ip -d rule show
ip rule add
ip rule del
ip rule del pref 4242
ip rule del from 10.5.5.0/24
ip rule add pref 0 table 100
ip rule add table 100 pref 32766
ip rule show
ip rule add from 1.2.3.300 table 100
ip rule add from foo table 100
ip rule add bogus table 100
ip rule add table nosuchtable
ip rule add goto 10
ip rule list
ip rule list table 100
ip rule flush
ip rule show
