# Writing sysctls through /proc/sys with the shell. The value lands as with sysctl -w, and
# ip_forward also turns on forwarding of every link. A bad value is a write error of the
# writing program, and a name Linux lacks cannot be opened. sysctl -e skips names Linux lacks.
ip link add v type veth peer name w
sysctl -w net.ipv4.ip_forward=0
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.conf.v.forwarding
echo 2 > /proc/sys/net/ipv4/conf/v/rp_filter
sysctl net.ipv4.conf.v.rp_filter
printf '0\n' > /proc/sys/net/ipv4/conf/all/forwarding
sysctl net.ipv4.ip_forward
echo abc > /proc/sys/net/ipv4/ip_forward
echo " 1 " > /proc/sys/net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=0
sh -c 'echo 1; echo 0' > /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
echo 0 > /proc/sys/net/ipv4/tcp_syn_retries
echo 1 > /proc/sys/net/ipv4/nonexistent
echo 1 > /proc/sys/net/ipv4/conf/nosuch/rp_filter
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range
cat /proc/sys/net/ipv4/ping_group_range
echo 1 >> /proc/sys/net/ipv4/conf/all/rp_filter
sysctl net.ipv4.conf.all.rp_filter
sysctl -e -w net.ipv4.ip_nonexist=1
sysctl -e net.ipv4.ip_nonexist
sysctl -e -w net.ipv4.ip_nonexist=1 net.ipv4.ip_forward=1
sysctl -e -w net.ipv4.ip_forward=abc
sysctl -e -w net.ipv4.conf.nosuch.rp_filter=1
