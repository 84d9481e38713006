# MAC addresses of macvlans. An up macvlan cannot share its MAC with its lower link or with another
# up macvlan of that link: EADDRINUSE when it comes up, or when its MAC changes while it is up.
# iproute2 rejects options after "type macvlan" that it does not know.
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:10
ip link add m0 link v0 type macvlan address 02:00:00:00:00:10
ip link add m0 link v0 address 02:00:00:00:00:10 type macvlan
ip link show m0
ip link set m0 up
ip link set m0 address 02:00:00:00:00:11
ip link set m0 up
ip link add m1 link v0 address 02:00:00:00:00:11 type macvlan
ip link set m1 up
ip link set m1 address 02:00:00:00:00:12
ip link set m1 up
ip link set m1 address 02:00:00:00:00:11
ip link set m1 address 02:00:00:00:00:10
ip link set v0 address 02:00:00:00:00:12
ip link show v0
ip link set m0 down
ip link set m1 address 02:00:00:00:00:11
ip link show m1
