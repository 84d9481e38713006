# ip link add NAME type KIND for kinds other than veth and bridge. The recorded kernel has the
# drivers for vxlan, macvlan, macvtap and tun, and each fails with its own error when given no
# other argument: vxlan needs its id, macvlan and macvtap a lower link, and a tun link is made
# through /dev/net/tun. The kinds without a driver, typos included, get "Unknown device type".
# None of the commands creates a link.
ip link add tvxlan type vxlan
ip link add tmacvlan type macvlan
ip link add tmacvtap type macvtap
ip link add ttun type tun
ip link add ttap type tap
ip link add tbond type bond
ip link add tvlan type vlan
ip link add tipip type ipip
ip link add tgre type gre
ip link add twg type wireguard
ip link add tvrf type vrf
ip link add tgeneve type geneve
ip link add tteam type team
ip link add tbrigde type brigde
ip -br link
