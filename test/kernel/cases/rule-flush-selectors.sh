# ip rule flush and ip rule show with selectors: only the rules that match every selector are
# listed or deleted, and a flush without selectors deletes every rule but priority 0.
ip link add eth0 type veth peer name eth1
ip rule add fwmark 5 table 100
ip rule add fwmark 6/0xff table 100
ip rule add from 10.0.0.0/8 table 200
ip rule add from 10.1.0.0/16 table 200
ip rule add from 10.1.2.3 table 200
ip rule add not to 192.0.2.0/24 table 300
ip rule add to 192.0.2.0/24 table 300 pref 500
ip rule add iif eth0 table 400
ip rule add oif eth1 table 400
ip rule add tos 0x10 table 400
ip rule add to 198.51.100.0/24 unreachable
ip rule show
ip rule show table 100
ip rule show fwmark 5
ip rule show fwmark 6/0xff
ip rule show fwmark 6
ip rule show from 10.0.0.0/8
ip rule show from 10.1.0.0/16
ip rule show from 10.1.2.3
ip rule show from all
ip rule show to 192.0.2.0/24
ip rule show not
ip rule show pref 500
ip rule show iif eth0
ip rule show oif eth1
ip rule show tos 0x10
ip rule show table 300 not
ip rule show table main
ip rule show bogus
ip rule show table nosuch
ip rule show pref x
ip rule show from x
ip rule flush table 100
ip rule show
ip rule flush from 10.1.0.0/16
ip rule show
ip rule flush not table 300
ip rule show
ip rule flush pref 500
ip rule flush iif eth0
ip rule flush tos 0x10
ip rule show
ip rule flush bogus
ip rule flush table main
ip rule show
ip rule flush
ip rule show
