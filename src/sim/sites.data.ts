/**
 * Sites of the demo fleet: real cities and coordinates, IANA zones, and what the
 * simulators need that a zone name cannot give without I/O or tz tables: a fixed
 * standard-time UTC offset (DST is ignored), a rough climate and the mains voltage.
 */
import type { Climate } from './energy.sim.js'
import type { SimSite } from './sim.types.js'

/** A demo site with the extras the simulators use. */
export interface SiteDef extends SimSite {
  utcOffsetMinutes: number
  climate: Climate
  mainsVoltage: number
}

/** The demo sites, in the order assets are dealt to them. */
export const DEMO_SITES: readonly SiteDef[] = [
  {
    id: 'lyon-fr',
    name: 'Lyon Part-Dieu',
    latitude: 45.7606,
    longitude: 4.8597,
    timezone: 'Europe/Paris',
    country: 'FR',
    utcOffsetMinutes: 60,
    climate: { meanC: 12.5, seasonalAmpC: 9.5, dailyAmpC: 5, warmestDay: 205 },
    mainsVoltage: 230,
  },
  {
    id: 'hamburg-de',
    name: 'Hamburg HafenCity',
    latitude: 53.5413,
    longitude: 9.9842,
    timezone: 'Europe/Berlin',
    country: 'DE',
    utcOffsetMinutes: 60,
    climate: { meanC: 9.5, seasonalAmpC: 8, dailyAmpC: 3.5, warmestDay: 205 },
    mainsVoltage: 230,
  },
  {
    id: 'austin-us',
    name: 'Austin Domain',
    latitude: 30.4021,
    longitude: -97.7253,
    timezone: 'America/Chicago',
    country: 'US',
    utcOffsetMinutes: -360,
    climate: { meanC: 20.8, seasonalAmpC: 9.5, dailyAmpC: 6, warmestDay: 215 },
    mainsVoltage: 120,
  },
  {
    id: 'pune-in',
    name: 'Pune Hinjewadi',
    latitude: 18.5913,
    longitude: 73.7389,
    timezone: 'Asia/Kolkata',
    country: 'IN',
    utcOffsetMinutes: 330,
    // Hottest in May, before the monsoon.
    climate: { meanC: 25, seasonalAmpC: 3.5, dailyAmpC: 7, warmestDay: 130 },
    mainsVoltage: 230,
  },
  {
    id: 'melbourne-au',
    name: 'Melbourne Docklands',
    latitude: -37.8183,
    longitude: 144.9466,
    timezone: 'Australia/Melbourne',
    country: 'AU',
    utcOffsetMinutes: 600,
    climate: { meanC: 15.5, seasonalAmpC: 5, dailyAmpC: 5, warmestDay: 30 },
    mainsVoltage: 230,
  },
  {
    id: 'sao-paulo-br',
    name: 'São Paulo Paulista',
    latitude: -23.5614,
    longitude: -46.6559,
    timezone: 'America/Sao_Paulo',
    country: 'BR',
    utcOffsetMinutes: -180,
    climate: { meanC: 19.5, seasonalAmpC: 3.5, dailyAmpC: 5, warmestDay: 40 },
    mainsVoltage: 220,
  },
  {
    id: 'nairobi-ke',
    name: 'Nairobi Westlands',
    latitude: -1.2676,
    longitude: 36.8108,
    timezone: 'Africa/Nairobi',
    country: 'KE',
    utcOffsetMinutes: 180,
    climate: { meanC: 18, seasonalAmpC: 1.5, dailyAmpC: 6, warmestDay: 60 },
    mainsVoltage: 240,
  },
]
